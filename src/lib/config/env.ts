// NORA_* environment variables: every scalar key has one, named from its path
// (server.port -> NORA_SERVER_PORT, storage.s3.secret_access_key -> NORA_STORAGE_S3_SECRET_ACCESS_KEY).
export const envName = (path: string[]): string => `NORA_${path.join('_').toUpperCase()}`;
