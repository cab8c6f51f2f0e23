// Every `nora` command, registered statically (oclif's explicit strategy): the bundle never scans
// a directory. Command ids use ':' internally; users type them with spaces (`nora config check`).
import Backup from './backup.js';
import ConfigCheck from './config/check.js';
import ConfigKeys from './config/keys.js';
import Delete from './delete.js';
import Doctor from './doctor.js';
import Gc from './gc.js';
import Health from './health.js';
import ImagesLs from './images/ls.js';
import KeysRotate from './keys/rotate.js';
import Login from './login.js';
import Migrate from './migrate.js';
import Replicate from './replicate.js';
import ReplicateStatus from './replicate/status.js';
import Restore from './restore.js';
import Retention from './retention.js';
import Serve from './serve.js';
import Tag from './tag.js';
import TokensCreate from './tokens/create.js';
import TokensLs from './tokens/ls.js';
import TokensRevoke from './tokens/revoke.js';
import UsersAdd from './users/add.js';
import UsersRm from './users/rm.js';
import WebhooksDeliveries from './webhooks/deliveries.js';
import WebhooksRedeliver from './webhooks/redeliver.js';
import WebhooksTest from './webhooks/test.js';
import Usage from './usage.js';

export const COMMANDS = {
  serve: Serve,
  doctor: Doctor,
  health: Health,
  'config:check': ConfigCheck,
  'config:keys': ConfigKeys,
  gc: Gc,
  retention: Retention,
  backup: Backup,
  restore: Restore,
  migrate: Migrate,
  replicate: Replicate,
  'replicate:status': ReplicateStatus,
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
  'webhooks:deliveries': WebhooksDeliveries,
  'webhooks:redeliver': WebhooksRedeliver,
  'webhooks:test': WebhooksTest,
  usage: Usage,
};
