import { demoApi } from './demo-api.ts';
import { randomIntBetween } from './random.ts';

/** How often each action happens, out of 100: a read-heavy catalogue with writes and some bad requests. */
const MIX: Array<[number, () => void]> = [
  [40, () => demoApi.listItems(20, randomIntBetween(0, 5) * 20)],
  [20, () => demoApi.getItem(randomIntBetween(1, 200))],
  [8, () => demoApi.createItem(newItem())],
  [6, () => demoApi.updateItem(randomIntBetween(1, 200), { stock: randomIntBetween(0, 500) })],
  [10, () => demoApi.createOrder([{ item_id: randomIntBetween(1, 200), quantity: randomIntBetween(1, 3) }])],
  [6, () => demoApi.salesReport()],
  [2, () => demoApi.reprice(`SKU-${randomIntBetween(0, 9)}`, randomIntBetween(-5, 5))],
  [4, () => demoApi.invalidCreate()],
  [4, () => demoApi.missingItem()],
];
const TOTAL = MIX.reduce((sum, [weight]) => sum + weight, 0);

function newItem() {
  const n = randomIntBetween(1, 1e9);
  return { sku: `LOAD-${n}`, name: `Load test item ${n}`, price_cents: randomIntBetween(100, 100_000), stock: 100 };
}

/** One iteration of realistic traffic: one action drawn from MIX. */
export function mixedTraffic(): void {
  let pick = randomIntBetween(1, TOTAL);
  for (const [weight, action] of MIX) {
    pick -= weight;
    if (pick <= 0) {
      action();
      return;
    }
  }
}
