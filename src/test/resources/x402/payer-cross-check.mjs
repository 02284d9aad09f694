// Checks Purser's x402 Payer with viem, an implementation independent of Purser's. argv[2] is
// JSON {payload, domain, taskId, providerId}: prints {signer, nonce}, the address viem recovers
// from the payload's EIP-3009 signature in that domain, and viem's keccak-256 of the documented
// nonce encoding ("purser.x402.nonce.v1" ‖ u32be(len) ‖ taskId ‖ u32be(len) ‖ providerId).
import { concat, keccak256, numberToHex, recoverTypedDataAddress, toBytes, toHex } from 'viem';
import { authorizationMessage, TRANSFER_WITH_AUTHORIZATION } from './eip3009.mjs';

const input = JSON.parse(process.argv[2]);
const auth = input.payload.payload.authorization;
const signer = await recoverTypedDataAddress({ domain: input.domain,
  types: TRANSFER_WITH_AUTHORIZATION, primaryType: 'TransferWithAuthorization',
  message: authorizationMessage(auth), signature: input.payload.payload.signature });
const part = (s) => concat([numberToHex(toBytes(s).length, { size: 4 }), toHex(s)]);
const nonce = keccak256(concat([toHex('purser.x402.nonce.v1'), part(input.taskId),
  part(input.providerId)]));
console.log(JSON.stringify({ signer, nonce }));
