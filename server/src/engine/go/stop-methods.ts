// Names of the methods that end a value's life. Two lists, for two questions.

/**
 * The methods a caller is expected to call to stop what a value started: the owner facts
 * (owners.ts), owner-never-stopped and release-skipped look for exactly these, and
 * package-index.ts finds their declarations by text with the same three names. Exported and
 * conventional (io.Closer, http.Server.Shutdown, time.Ticker.Stop), so a test that never calls
 * one on a value it started is a finding.
 */
export const STOP_METHODS: ReadonlySet<string> = new Set(['Stop', 'Close', 'Shutdown']);

/**
 * Any method by which a type ends its own work, exported or not, in any case: the three above;
 * quit, terminate and halt (go-ethereum's les execQueue has `quit`); cancel (caddy's
 * reverse-proxy health checker: the server it starts has to be reachable from Cancel); dispose
 * and release. Used where having such a method is what makes a goroutine outliving it a leak
 * (go/field-loops.ts, go/servers.ts); each of those asks whether ANY of the type's stop methods
 * reaches the goroutine, so a wider list cannot make a finding where one of them does.
 */
export const LIFECYCLE_END = /^(stop|close|shutdown|quit|terminate|halt|cancel|dispose|release)$/i;
