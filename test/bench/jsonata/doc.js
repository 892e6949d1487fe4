// test/bench/jsonata/doc.js: write the benchmark's input document (about
// 100 KB of JSON, deterministic) to stdout.
'use strict';
let seed = 12345;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const names = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy'];
const cities = ['London', 'Paris', 'Berlin', 'Madrid', 'Rome', 'Vienna', 'Oslo', 'Dublin'];
const categories = ['books', 'garden', 'toys', 'food', 'tools', 'music'];
const customers = [];
for (let c = 0; c < 60; c++) {
  const orders = [];
  for (let o = 0; o < 4; o++) {
    const items = [];
    for (let i = 0; i < 3; i++) {
      items.push({ sku: 'SKU-' + Math.floor(rnd() * 100000), category: pick(categories),
        price: Math.round(rnd() * 10000) / 100, quantity: 1 + Math.floor(rnd() * 5) });
    }
    orders.push({ id: 'O' + c + '-' + o, date: '2024-0' + (1 + Math.floor(rnd() * 9)) + '-1' + Math.floor(rnd() * 9),
      status: pick(['open', 'shipped', 'cancelled']), items });
  }
  customers.push({ id: c, name: pick(names) + ' ' + c, email: 'user' + c + '@example.com',
    address: { city: pick(cities), zip: String(10000 + Math.floor(rnd() * 89999)) },
    vip: rnd() < 0.2, tags: [pick(categories), pick(categories)], orders });
}
process.stdout.write(JSON.stringify({ store: 'bench', customers }));
