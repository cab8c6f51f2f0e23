export { loadConfig, type LoadOptions, type LoadedConfig } from './loader.js';
export { ConfigError, type ConfigProblem } from './config-error.js';
export { schema, type NoraConfig } from './schema.js';
export { renderJson, renderToml, maskedConfig } from './render.js';
export { envName } from './env.js';
