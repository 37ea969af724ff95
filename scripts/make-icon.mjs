// Draws images/icon.png (128x128, the Marketplace / Open VSX icon) from the SVG below with
// headless Chromium (playwright-core; CHROMIUM overrides /usr/bin/chromium). Run it after
// changing the drawing and commit the PNG: `node scripts/make-icon.mjs`.
import { chromium } from 'playwright-core';

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#24405c"/><stop offset="1" stop-color="#152536"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="24" fill="url(#bg)"/>
  <!-- a goroutine: a loop that never comes back round -->
  <path d="M 92 50 A 30 30 0 1 0 72 85" fill="none" stroke="#00add8" stroke-width="11" stroke-linecap="round"/>
  <path d="M 99 35 L 95 60 L 78 48 Z" fill="#00add8"/>
  <!-- the leak: a drop falling out of the gap -->
  <path d="M 90 74 C 90 74 79 89 79 96 A 11 11 0 0 0 101 96 C 101 89 90 74 90 74 Z" fill="#ff5a5f"/>
</svg>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${SVG}</body></html>`);
  await page.locator('svg').screenshot({ path: 'images/icon.png', omitBackground: true });
} finally {
  await browser.close();
}
