// Computes the digests pinned in Eip712Test.agreesWithViemOnEveryKindOfMember.
// Run: npm install viem@2.57.20 in a scratch directory, copy this file there, node it.
import { hashTypedData, hashStruct } from 'viem';
const td = {
  types: {
    EIP712Domain: [{name:'name',type:'string'},{name:'version',type:'string'},{name:'chainId',type:'uint256'},{name:'verifyingContract',type:'address'},{name:'salt',type:'bytes32'}],
    Order: [{name:'maker',type:'Party'},{name:'legs',type:'Leg[]'},{name:'pair',type:'Leg[2]'},{name:'tags',type:'string[]'},{name:'grid',type:'int16[][]'},{name:'delta',type:'int256'},{name:'small',type:'int8'},{name:'flag',type:'bool'},{name:'blob',type:'bytes'},{name:'sel',type:'bytes4'},{name:'memo',type:'string'}],
    Party: [{name:'wallet',type:'address'},{name:'aliases',type:'string[]'}],
    Leg: [{name:'asset',type:'address'},{name:'amount',type:'uint256'},{name:'note',type:'bytes32'}],
  },
  primaryType: 'Order',
  domain: {name:'Purser cross-check',version:'7',chainId:84532n,verifyingContract:'0x036CbD53842c5426634e7929541eC2318f3dCF7e',salt:'0x'+'11'.repeat(32)},
  message: {
    maker: {wallet:'0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', aliases:['alice','Ålice ✓']},
    legs: [{asset:'0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',amount:10000n,note:'0x'+'ab'.repeat(32)},{asset:'0x70997970C51812dc3A010C7d01b50e0d17dc79C8',amount:(2n**256n)-1n,note:'0x'+'00'.repeat(32)}],
    pair: [{asset:'0x70997970C51812dc3A010C7d01b50e0d17dc79C8',amount:1n,note:'0x'+'01'.repeat(32)},{asset:'0x70997970C51812dc3A010C7d01b50e0d17dc79C8',amount:2n,note:'0x'+'02'.repeat(32)}],
    tags: [],
    grid: [[-1, 2], [], [-32768, 32767]],
    delta: -(2n**255n),
    small: -128,
    flag: true,
    blob: '0xdeadbeef00',
    sel: '0xa9059cbb',
    memo: '',
  },
};

console.log(hashStruct({data: td.message, types: td.types, primaryType: 'Order'}));
console.log(hashTypedData(td));
