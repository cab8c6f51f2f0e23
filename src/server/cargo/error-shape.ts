// Cargo's error body, which cargo prints after "the remote server responded with an error":
// {"errors":[{"detail": "..."}]} (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#web-api).
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { ErrorRenderer, NotFound } from '../core/error-shapes.js';

export const renderCargoError: ErrorRenderer = (error) => ({
  status: error.status,
  body: { errors: [{ detail: error.message }] },
});

/** A miss as crates.io words it: {"errors":[{"detail":"Not Found"}]}. */
export const cargoNotFound: NotFound = () => CommonErrors.NOT_FOUND_AS('Not Found');
