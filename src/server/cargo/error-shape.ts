// Cargo's error body, which cargo prints after "the remote server responded with an error":
// {"errors":[{"detail": "..."}]} (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#web-api).
import type { ErrorRenderer } from '../core/error-shapes.js';

export const renderCargoError: ErrorRenderer = (error) => ({
  status: error.status,
  body: { errors: [{ detail: error.message }] },
});
