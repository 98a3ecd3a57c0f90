import { render } from 'preact';
import '../shared/base.css';
import '../shared/controls.css';
import './manage.css';
import { App } from './App';

render(<App />, document.getElementById('app')!);
