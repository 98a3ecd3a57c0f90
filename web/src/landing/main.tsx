import { render } from 'preact';
import '../shared/base.css';
import './landing.css';
import { Landing } from './Landing';

render(<Landing />, document.getElementById('app')!);
