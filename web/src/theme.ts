import { useEffect, useState } from 'preact/hooks';

export type Theme = 'light' | 'dark';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The system's color scheme, live: charts redraw with it (the page itself follows by CSS). */
export function useTheme(): Theme {
  const [theme, setTheme] = useState<Theme>(query().matches ? 'dark' : 'light');
  useEffect(() => {
    const q = query();
    const onChange = () => setTheme(q.matches ? 'dark' : 'light');
    q.addEventListener('change', onChange);
    return () => q.removeEventListener('change', onChange);
  }, []);
  return theme;
}

/** Readable on both backgrounds (Tableau 10). */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

export function colorOf(i: number): string {
  return PALETTE[i % PALETTE.length] ?? '#888';
}

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** One color per model everywhere on the page: its place among all models, alphabetically. */
export type ModelColors = (model: string) => string;

export function modelColors(models: readonly string[]): ModelColors {
  const sorted = [...new Set(models)].sort();
  return (model) => {
    const i = sorted.indexOf(model);
    return colorOf(i < 0 ? sorted.length : i);
  };
}
