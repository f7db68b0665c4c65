// Imported first by main.tsx, so that the page's figures are asked for
// before the rest of the script (Preact, uPlot, the sections) is evaluated.
import { startLoadingPage } from './api.js';
import { filtersFromUrl } from './url-state.js';

startLoadingPage(filtersFromUrl(location.search));
