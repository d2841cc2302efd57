// Entry point of the bundled server (dist/server.mjs): `node dist/server.mjs --stdio`.
import { startServer } from '../server.ts';

void startServer();
