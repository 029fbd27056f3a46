// A Web-Storage-shaped store in one JSON file, written synchronously: it survives a killed process.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { StorageLike } from '../../src/index';

export function fileStorage(path: string): Omit<StorageLike, 'getItem'> & { getItem(key: string): string | null; readAll(): Record<string, string> } {
  const readAll = (): Record<string, string> => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {});
  const write = (items: Record<string, string>) => writeFileSync(path, JSON.stringify(items));
  return {
    readAll,
    getItem: (key) => readAll()[key] ?? null,
    setItem: (key, value) => write({ ...readAll(), [key]: value }),
    removeItem: (key) => {
      const { [key]: _gone, ...rest } = readAll();
      write(rest);
    },
  };
}
