export { privatelinkPlugin as default } from './plugin';
