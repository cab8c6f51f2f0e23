// The protocol plugins NORA serves, each a folder under src/server/. A static list (no runtime
// discovery) so the bundle holds everything; a protocol joins by adding one line here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../lib/services.js';
import type { ErrorShapes } from './core/error-shapes.js';
import { ociProtocol } from './oci/plugin.js';
import { mavenPlugin } from './maven/plugin.js';
import { pypiPlugin } from './pypi/plugin.js';
import { cargoPlugin } from './cargo/plugin.js';
import { npmPlugin } from './npm/plugin.js';
import { apiPlugin } from './api/plugin.js';
import { uiPlugin } from './ui/plugin.js';

export interface ProtocolContext {
  services: Services;
  errorShapes: ErrorShapes;
}

export interface Protocol {
  name: string;
  /** URL prefix the plugin is mounted at, e.g. "/v2". */
  prefix: string;
  plugin: FastifyPluginAsync<ProtocolContext>;
}

export const PROTOCOLS: Protocol[] = [
  ociProtocol,
  { name: 'maven', prefix: '/maven2', plugin: mavenPlugin },
  { name: 'pypi', prefix: '', plugin: pypiPlugin },
  { name: 'cargo', prefix: '/cargo', plugin: cargoPlugin },
  { name: 'npm', prefix: '/npm', plugin: npmPlugin },
  { name: 'api', prefix: '/api', plugin: apiPlugin },
  { name: 'ui', prefix: '', plugin: uiPlugin },
];
