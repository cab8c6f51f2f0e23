// Every `nora` command, registered statically (oclif's explicit strategy): the bundle never scans
// a directory. Command ids use ':' internally; users type them with spaces (`nora config check`).
import ConfigCheck from './config/check.js';
import ConfigKeys from './config/keys.js';
import Serve from './serve.js';

export const COMMANDS = {
  serve: Serve,
  'config:check': ConfigCheck,
  'config:keys': ConfigKeys,
};
