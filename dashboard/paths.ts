// Where the dashboard's source and build live: read by the build, the local runtime and the CDK stack.
import { join } from 'node:path';

export const DASHBOARD_SOURCE_DIR = join(__dirname, 'src');
/** Build output, not checked in (.gitignore). */
export const DASHBOARD_BUILD_DIR = join(__dirname, 'dist');
