// Preloaded by the benchmark into the action's process: prints its peak RSS when it exits.
process.on('exit', () => {
  process.stderr.write(`peak-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
