// .env files as docker compose reads them, parsed with dotenv.
import { parse } from 'dotenv';

export function readDotEnv(text: string): Map<string, string> {
  return new Map(Object.entries(parse(text)));
}
