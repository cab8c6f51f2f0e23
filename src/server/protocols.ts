// The protocol plugins NORA serves, each a folder under src/server/. A static list (no runtime
// discovery) so the bundle holds everything; a protocol joins by adding one line here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../lib/services.js';
import type { ErrorShapes } from './core/error-shapes.js';
import { npmPlugin } from './npm/plugin.js';

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
  { name: 'npm', prefix: '/npm', plugin: npmPlugin },
];
