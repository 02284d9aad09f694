// Compiles one Solidity file with solc-js (offline: the compiler is the npm package itself) and
// prints the named contract's runtime bytecode, 0x-hex, for anvil_setCode.
// Run: node compile.mjs <file.sol> <ContractName>
import fs from 'node:fs';
import path from 'node:path';
import solc from 'solc';

const [file, contract] = process.argv.slice(2);
const input = {
  language: 'Solidity',
  sources: { [path.basename(file)]: { content: fs.readFileSync(file, 'utf8') } },
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['evm.deployedBytecode.object'] } } },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter(e => e.severity === 'error');
if (errors.length > 0) {
  console.error(errors.map(e => e.formattedMessage).join('\n'));
  process.exit(1);
}
console.log('0x' + output.contracts[path.basename(file)][contract].evm.deployedBytecode.object);
