/**
 * Items of one export request refused as invalid, for the partial-success
 * answer: how many, and why (the first reason; the others are only counted,
 * so one bad batch cannot make a huge error message).
 */
export class Rejections {
  count = 0;
  private firstReason = '';
  private otherReasons = 0;

  add(count: number, reason: string): void {
    this.count += count;
    if (this.firstReason === '') this.firstReason = reason;
    else this.otherReasons += 1;
  }

  get message(): string {
    if (this.otherReasons === 0) return this.firstReason;
    return `${this.firstReason} (and ${this.otherReasons} more rejections)`;
  }
}
