// Loads web-tree-sitter and the Go grammar once per thread.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type { Tree };

/** Finds a shipped asset whether we run from source (tsx) or from the esbuild bundle in dist/. */
export function findAsset(name: string): string {
  const roots = [__dirname, path.join(__dirname, '..'), path.join(__dirname, '../..'), path.join(__dirname, '../../..')];
  for (const root of roots) {
    for (const sub of ['', 'grammars', 'dist', 'node_modules/web-tree-sitter']) {
      const candidate = path.join(root, sub, name);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`leaklint: cannot find ${name} next to ${__dirname}; the installation is incomplete`);
}

let loading: Promise<Language> | undefined;

function loadGo(): Promise<Language> {
  loading ??= (async () => {
    const runtime = findAsset('tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    return Language.load(fs.readFileSync(findAsset('tree-sitter-go.wasm')));
  })();
  return loading;
}

export class GoParser {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<GoParser> {
    const language = await loadGo();
    const parser = new Parser();
    parser.setLanguage(language);
    return new GoParser(parser);
  }

  /** Parses `text`; pass the edited previous tree to reparse incrementally. */
  parse(text: string, oldTree?: Tree | null): Tree {
    const tree = this.parser.parse(text, oldTree ?? null);
    if (!tree) throw new Error('leaklint: tree-sitter returned no tree');
    return tree;
  }
}
