import { render } from 'preact';
import '../shared/base.css';
import '../shared/controls.css';
import './portal.css';
import { App } from './App';

render(<App />, document.getElementById('app')!);
