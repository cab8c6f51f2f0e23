// Every `nora` command, registered statically (oclif's explicit strategy): the bundle never scans
// a directory. Command ids use ':' internally; users type them with spaces (`nora config check`).
import Backup from './backup.js';
import ConfigCheck from './config/check.js';
import ConfigKeys from './config/keys.js';
import Delete from './delete.js';
import Gc from './gc.js';
import ImagesLs from './images/ls.js';
import Migrate from './migrate.js';
import Restore from './restore.js';
import Serve from './serve.js';
import Tag from './tag.js';

export const COMMANDS = {
  serve: Serve,
  'config:check': ConfigCheck,
  'config:keys': ConfigKeys,
  gc: Gc,
  backup: Backup,
  restore: Restore,
  migrate: Migrate,
  'images:ls': ImagesLs,
  tag: Tag,
  delete: Delete,
};
