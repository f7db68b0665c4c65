import { Counter, type Registry, type RegistryContentType } from 'prom-client';
import type { Figure } from './figure-families.js';
import type { OtelFamily } from './otel-families.js';

/**
 * Claude Code's metrics as prom-client counters. Their names and label names
 * are data, so the families are (re)registered when a scrape starts; each
 * one's collect() hands prom-client the sums read for that scrape.
 */
export class OtelRegistrations {
  private readonly families = new Map<string, { labelKey: string; figures: Figure[] }>();

  constructor(
    private readonly registry: Registry<RegistryContentType>,
    /** Names of the exporter's own metrics, which a Claude Code metric never shadows. */
    private readonly reserved: ReadonlySet<string>,
  ) {}

  sync(families: readonly OtelFamily[]): void {
    const seen = new Set<string>();
    for (const family of families) {
      if (this.reserved.has(family.name)) continue;
      seen.add(family.name);
      const labelKey = family.labelNames.join(',');
      const known = this.families.get(family.name);
      if (known && known.labelKey === labelKey) {
        known.figures = family.figures;
        continue;
      }
      if (known) this.registry.removeSingleMetric(family.name);
      const entry = { labelKey, figures: family.figures };
      this.families.set(family.name, entry);
      this.registry.registerMetric(
        new Counter({
          name: family.name,
          help: family.help,
          labelNames: family.labelNames,
          registers: [],
          collect() {
            this.reset();
            // A stored sum never goes down; anything else is not a counter value.
            for (const f of entry.figures) if (f.value >= 0) this.inc(f.labels, f.value);
          },
        }),
      );
    }
    for (const name of this.families.keys()) {
      if (seen.has(name)) continue;
      this.registry.removeSingleMetric(name);
      this.families.delete(name);
    }
  }
}
