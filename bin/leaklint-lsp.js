#!/usr/bin/env node
'use strict';
// The language server over stdio, for Neovim, Helix, Emacs and other LSP clients:
//   leaklint-lsp --stdio
if (!process.argv.slice(2).length) process.argv.push('--stdio');
require('../dist/server.js');
