// NORA's own version, inlined from package.json at bundle time.
import pjson from '../../package.json';

export const NORA_VERSION: string = pjson.version;
