export interface CartLine {
  isbn: string;
  unitPriceCents: number;
  quantity: number;
}

/**
 * Total price of the cart in cents: the sum of price times quantity, minus a percentage
 * discount, plus sales tax on the discounted amount. Rounded to whole cents.
 */
export function cartTotalCents(lines: CartLine[], discountPercent: number, taxRate: number): number {
  const subtotal = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  const discounted = subtotal * (1 - discountPercent / 100);
  return Math.round(discounted * (1 + taxRate));
}

/** Adds a book to the cart, or increases its quantity if it is already there. */
export function addToCart(lines: CartLine[], isbn: string, unitPriceCents: number): CartLine[] {
  const existing = lines.find((line) => line.isbn === isbn);
  if (existing) {
    return lines.map((line) => (line.isbn === isbn ? { ...line, quantity: line.quantity + 1 } : line));
  }
  return [...lines, { isbn, unitPriceCents, quantity: 1 }];
}
