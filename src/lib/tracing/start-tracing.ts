// [tracing] on: the tracer and its OTLP exporter, built together. Imported dynamically by
// createServices only when [tracing] endpoint is set, so a server without tracing never
// evaluates this module, the tracer or the exporter.
import type { NoraConfig } from '../config/schema.js';
import { NORA_VERSION } from '../version.js';
import { OtlpExporter } from './otlp-exporter.js';
import { Tracer } from './tracer.js';

export interface Tracing {
  tracer: Tracer;
  /** Sends what is queued and stops the export timer. */
  shutdown(): Promise<void>;
}

export function startTracing(config: NoraConfig['tracing'], onError: (message: string) => void): Tracing {
  const exporter = new OtlpExporter({ endpoint: config.endpoint, serviceName: config.service_name, serviceVersion: NORA_VERSION, onError });
  const tracer = new Tracer({ sampleRatio: config.sample_ratio, sink: exporter });
  return { tracer, shutdown: () => exporter.shutdown() };
}
