// serve-page.js BASE_URL PASTE_FILE DUMP_FILE OUT_DIR EXPECT_CASE UNKNOWN_FILE
//
// Uses the pmkb serve page as a first-line engineer would, in Debian's
// headless chromium driven by playwright-core: pastes an analysis and
// expects the verdict "known" with EXPECT_CASE first, the outcome record
// and the customer draft in its language and, switched, in the other;
// pastes UNKNOWN_FILE and expects it routed to an engineer; uploads a .dmp,
// searches in Chinese, opens a case from the results, reads the rules.
// Saves a screenshot of every page in OUT_DIR. Exits 1 naming the first
// check that failed.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [base, pasteFile, dumpFile, outDir, expectCase, unknownFile] = process.argv.slice(2);
if (!unknownFile) {
	console.error('usage: serve-page.js BASE_URL PASTE_FILE DUMP_FILE OUT_DIR EXPECT_CASE UNKNOWN_FILE');
	process.exit(64);
}

function check(cond, what) {
	if (!cond)
		throw new Error('check failed: ' + what);
	console.log('ok: ' + what);
}

async function shot(page, name) {
	await page.screenshot({ path: path.join(outDir, name), fullPage: true });
	console.log('screenshot: ' + name);
}

(async () => {
	fs.mkdirSync(outDir, { recursive: true });
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		// CI runs as root, where chromium's sandbox cannot start
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
	});
	let failed = false;
	try {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		page.setDefaultTimeout(30000);
		const errors = [];
		page.on('pageerror', (e) => errors.push(String(e)));
		page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

		// 1. the first page: the paste box and the upload
		let r = await page.goto(base + '/');
		check(r.status() === 200, 'GET / is 200');
		check(await page.locator('textarea#text').count() === 1, 'the paste box is there');
		check(await page.locator('input#file[type=file]').count() === 1, 'the file upload is there');
		await shot(page, '1-home.png');

		// 2. paste a seed analysis: known, the right case first
		await page.fill('textarea#text', fs.readFileSync(pasteFile, 'utf8'));
		await Promise.all([page.waitForNavigation(), page.click('button#match')]);
		const verdict = (await page.locator('#verdict-0').innerText()).trim();
		check(verdict.startsWith('known'), `the paste's verdict is known (got "${verdict}")`);
		const first = (await page.locator('.match a.case').first().innerText()).trim();
		check(first === expectCase, `the first case is ${expectCase} (got "${first}")`);
		check(await page.locator('.match ul.same li').count() > 0, 'the first case shows what is the same');
		const rec = (await page.locator('#outcome-0').innerText()).trim();
		check(/resolved in \d+ of \d+ closed case/.test(rec), `the outcome record is shown (got "${rec}")`);
		check(await page.locator('.match .case-outcome').count() > 0, 'a ranked case shows its outcome');
		// the draft: Chinese first (the paste's language), English a click away
		const zh = page.locator('#draft-text-zh');
		const en = page.locator('#draft-text-en');
		check(await zh.isVisible() && !(await en.isVisible()), 'the Chinese draft is shown, not the English one');
		check((await zh.innerText()).includes('您好'), 'the Chinese draft greets the customer');
		check(await page.locator('#routed').count() === 0, 'the known paste is not routed to an engineer');
		// the README's picture: the verdict, the cause, the outcomes and the draft's start
		await page.screenshot({ path: path.join(outDir, 'serve.png'), fullPage: true,
			clip: { x: 0, y: 0, width: 1280, height: 1040 } });
		await shot(page, '2-match-paste.png');
		await page.click('label[for=draft-en]');
		check(await en.isVisible() && !(await zh.isVisible()), 'the switch shows the English draft');
		check(/^(Hello|Dear)/.test((await en.innerText()).trim()), 'the English draft greets the customer');
		await shot(page, '2b-match-paste-en.png');

		// 2c. an analysis nobody has seen: routed to an engineer, with why
		await page.goto(base + '/');
		await page.fill('textarea#text', fs.readFileSync(unknownFile, 'utf8'));
		await Promise.all([page.waitForNavigation(), page.click('button#match')]);
		const routed = (await page.locator('#routed').innerText()).trim();
		check(routed.startsWith('routed to an engineer'), `the unknown paste is routed to an engineer (got "${routed}")`);
		check(await page.locator('#reply li').count() > 0, 'the gate\'s reasons are listed');
		check(await page.locator('.draft').count() === 0, 'no draft for the unknown paste');
		await shot(page, '2c-match-routed.png');

		// 3. upload a .dmp
		await page.goto(base + '/');
		await page.setInputFiles('input#file', dumpFile);
		await Promise.all([page.waitForNavigation(), page.click('button#match')]);
		const body = await page.locator('main').innerText();
		check(body.includes(path.basename(dumpFile)), 'the answer names the uploaded dump');
		const dv = (await page.locator('#verdict-0').innerText()).trim();
		check(/^(known|similar|new)/.test(dv), `the dump has a verdict (got "${dv}")`);
		check(/0x[0-9a-f]+/.test(body), 'the answer shows the dump\'s bugcheck');
		await shot(page, '3-match-dump.png');

		// 4. search in Chinese from the header
		await page.fill('header input[name=q]', '蓝屏');
		await Promise.all([page.waitForNavigation(), page.press('header input[name=q]', 'Enter')]);
		check(decodeURIComponent(page.url()).includes('q=蓝屏'), 'the search URL carries the Chinese query');
		const hits = await page.locator('table.hits a.case').count();
		check(hits > 0, `searching 蓝屏 finds cases (${hits})`);
		await shot(page, '4-search-zh.png');

		// 5. open the first case
		const id = (await page.locator('table.hits a.case').first().innerText()).trim();
		await Promise.all([page.waitForNavigation(), page.locator('table.hits a.case').first().click()]);
		const h1 = await page.locator('h1').innerText();
		check(h1.includes(id), `the case page is ${id}`);
		check(await page.locator('.card.message').count() > 0, 'the case shows its messages');
		await shot(page, '5-case.png');

		// 6. the rules, with the stored cases each catches
		r = await page.goto(base + '/rules');
		check(r.status() === 200, 'GET /rules is 200');
		check(await page.locator('.card.rule').count() > 0, 'the rules are listed');
		await shot(page, '6-rules.png');

		check(errors.length === 0, 'no page error or console error: ' + errors.join('; '));
	} catch (e) {
		console.error(String(e && e.message || e));
		failed = true;
	} finally {
		await browser.close();
	}
	process.exit(failed ? 1 : 0);
})();
