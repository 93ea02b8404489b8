// Lints Dockerfiles with dockerfile-utils; any error diagnostic fails.
// Usage: node check_dockerfile.js FILE...
const fs = require('fs');
let utils;
try {
    utils = require('dockerfile-utils');
} catch (e) {
    console.log('dockerfile-utils is not installed');
    process.exit(77);
}
let bad = 0;
for (const f of process.argv.slice(2)) {
    const text = fs.readFileSync(f, 'utf8');
    const diags = utils.validate(text);
    for (const d of diags) {
        // severity 1 = error, 2 = warning
        console.log(`${f}:${d.range.start.line + 1}: [${d.severity}] ${d.message}`);
        if (d.severity === 1)
            bad++;
    }
}
process.exit(bad ? 1 : 0);
