/**
 * What `activate()` returns. Other extensions could use it; the extension-host tests use it
 * to reach feature state (e.g. the tree provider, the last validation report) and to inject a clock.
 * Each feature adds its own optional field.
 */
export interface SamlLensApi {
  readonly version: string;
}
