// Counts the results in the JUnit XML that `deno test --junit-path` writes.
export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
}

export function summarizeJunit(xml: string): TestSummary {
  const summary: TestSummary = { passed: 0, failed: 0, skipped: 0 };
  // Each <testcase ...> is either self-closing (passed) or holds <failure>/<skipped>.
  const cases = xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g);
  for (const match of cases) {
    const body = match[2] ?? "";
    if (/<failure\b|<error\b/.test(body)) summary.failed++;
    else if (/<skipped\b/.test(body)) summary.skipped++;
    else summary.passed++;
  }
  return summary;
}
