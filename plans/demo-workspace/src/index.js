// Entry point of the demo workspace: prints a line so `node src/index.js` shows it works.
console.log('demo-workspace is ready');
