// Every `nora` command, registered statically (oclif's explicit strategy): the bundle never scans
// a directory. Command ids use ':' internally; users type them with spaces (`nora config check`).
import Backup from './backup.js';
import ConfigCheck from './config/check.js';
import ConfigKeys from './config/keys.js';
import Delete from './delete.js';
import Doctor from './doctor.js';
import Gc from './gc.js';
import ImagesLs from './images/ls.js';
import KeysRotate from './keys/rotate.js';
import Login from './login.js';
import Migrate from './migrate.js';
import Restore from './restore.js';
import Serve from './serve.js';
import Tag from './tag.js';
import TokensCreate from './tokens/create.js';
import TokensLs from './tokens/ls.js';
import TokensRevoke from './tokens/revoke.js';
import UsersAdd from './users/add.js';
import UsersRm from './users/rm.js';

export const COMMANDS = {
  serve: Serve,
  doctor: Doctor,
  'config:check': ConfigCheck,
  'config:keys': ConfigKeys,
  gc: Gc,
  backup: Backup,
  restore: Restore,
  migrate: Migrate,
  'images:ls': ImagesLs,
  tag: Tag,
  delete: Delete,
  'users:add': UsersAdd,
  'users:rm': UsersRm,
  'tokens:create': TokensCreate,
  'tokens:ls': TokensLs,
  'tokens:revoke': TokensRevoke,
  'keys:rotate': KeysRotate,
  login: Login,
};
