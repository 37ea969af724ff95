// Cheap source-text checks that let the engine skip functions a rule cannot fire on.
// Reading the JavaScript source string costs nothing; walking nodes in WASM does.

/** A `go` statement may be inside. */
export const GO_STMT = /\bgo\s+(func\b|[A-Za-z_(])/;
/** A channel is made inside. */
export const MAKE_CHAN = /\bmake\(\s*(<-\s*)?chan\b/;
/** A loop that could be endless with no channel involved (`for {}`, tickers), or an empty select. */
export const ENDLESS = /\bfor\s*\{|\bfor\s+true\s*\{|\.C\b|time\.Tick\b|\bselect\s*\{\s*\}/;
/** Types that mark an HTTP handler's parameters. */
export const HANDLER_TYPES = /http\.Request|http\.ResponseWriter|gin\.Context|echo\.Context|fiber\.Ctx/;
