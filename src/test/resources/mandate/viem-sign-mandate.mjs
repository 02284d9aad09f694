// Signs a SpendingMandate with viem, an implementation independent of Purser, for
// ViemCrossCheckTest. Input: argv[2] = JSON {privateKey, chainId, types, message}; output: one
// JSON line {address, digest, body} where body is the POST /api/a2a/mandates document.
import { privateKeyToAccount } from 'viem/accounts';
import { hashTypedData } from 'viem';

const input = JSON.parse(process.argv[2]);
const account = privateKeyToAccount(input.privateKey);
const domain = { name: 'Purser Mandate', version: '1', chainId: BigInt(input.chainId) };
const m = input.message;
// viem wants bigints for uint members; the wire keeps amounts as decimal strings and times as
// numbers (DESIGN §8), so convert for signing only.
const message = { ...m, budget: BigInt(m.budget), perTaskMax: BigInt(m.perTaskMax),
  notBefore: BigInt(m.notBefore), expiresAt: BigInt(m.expiresAt) };
const types = { SpendingMandate: input.types.SpendingMandate };
const typed = { domain, types, primaryType: 'SpendingMandate', message };
const signature = await account.signTypedData(typed);
console.log(JSON.stringify({ address: account.address, digest: hashTypedData(typed),
  body: { mandate: m, signature } }));
