// Imported first by main.tsx, so that the page's figures are asked for
// before the rest of the script (Preact, uPlot, the sections) is evaluated.

import { filtersFromUrl } from '../../src/views/web/page-url.js';
import { startLoadingPage } from './api.js';

startLoadingPage(filtersFromUrl(location.search));
