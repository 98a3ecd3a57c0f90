import { render } from 'preact';
import '../shared/base.css';
import '../shared/controls.css';
import '../portal/portal.css';
import { Join } from './Join';

render(<Join />, document.getElementById('app')!);
