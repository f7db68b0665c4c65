// Turns rows of sized panels into Grafana's flat panel list with grid
// positions and ids, so the dashboard modules only say what goes where.
import type { Panel, RowPanel } from '@grafana/schema';

export interface Row {
  title: string;
  panels: Panel[];
}

const gridWidth = 24;

/**
 * Places each row's panels left to right and wraps at the grid's width. Every
 * line of panels starts below the tallest panel of the line before, so panels
 * of one line should share a height.
 */
export function layoutRows(rows: Row[]): Array<Panel | RowPanel> {
  const placed: Array<Panel | RowPanel> = [];
  let id = 0;
  let y = 0;
  for (const row of rows) {
    id += 1;
    placed.push({
      type: 'row',
      id,
      title: row.title,
      collapsed: false,
      panels: [],
      gridPos: { x: 0, y, w: gridWidth, h: 1 },
    });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const panel of row.panels) {
      const w = panel.gridPos?.w ?? gridWidth;
      const h = panel.gridPos?.h ?? 8;
      if (x + w > gridWidth) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      id += 1;
      placed.push({ ...panel, id, gridPos: { x, y, w, h } });
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  return placed;
}
