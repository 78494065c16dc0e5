/** Where useFreshTables records the tables a test file made, on the file's global object, for
 *  fresh-tables-environment.ts to drop when the file has finished. */
export const FRESH_TABLES_GLOBAL = '__freshTables';
