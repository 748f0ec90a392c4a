import client from "prom-client";

/** Prometheus metrics of one gateway process (prom-client's own registry). */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({ name: "keygate_s3_requests_total", help: "S3 requests by operation and status", labelNames: ["operation", "status"], registers: [registry] });
  const duration = new client.Histogram({
    name: "keygate_s3_request_duration_seconds", help: "S3 request latency", labelNames: ["operation"], registers: [registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
  });
  const bytes = new client.Counter({ name: "keygate_s3_bytes_total", help: "Payload bytes by direction", labelNames: ["direction"], registers: [registry] });
  const authFailures = new client.Counter({ name: "keygate_s3_auth_failures_total", help: "Refused requests by reason", labelNames: ["reason"], registers: [registry] });
  const eventsDropped = new client.Counter({ name: "keygate_events_dropped_total", help: "Request events dropped because the buffer was full", registers: [registry] });
  const eventsRefused = new client.Counter({ name: "keygate_events_refused_total", help: "Request events dropped because PostgreSQL refused to store them", registers: [registry] });
  const unexpectedErrors = new client.Counter({ name: "keygate_gateway_unexpected_errors_total", help: "Exceptions and rejections caught by the process guard", labelNames: ["kind"], registers: [registry] });
  return { registry, requests, duration, bytes, authFailures, eventsDropped, eventsRefused, unexpectedErrors };
}
export type Metrics = ReturnType<typeof createMetrics>;
