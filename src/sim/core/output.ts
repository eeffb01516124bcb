/** Output collected while a command runs, written once at the end (and on failure, what came before). */
export class Output {
  private stdoutParts: string[] = [];
  private stderrParts: string[] = [];

  out(text: string): void {
    this.stdoutParts.push(text);
  }

  line(text: string): void {
    this.stdoutParts.push(text + '\n');
  }

  err(text: string): void {
    this.stderrParts.push(text.endsWith('\n') ? text : text + '\n');
  }

  get stdout(): string {
    return this.stdoutParts.join('');
  }

  get stderr(): string {
    return this.stderrParts.join('');
  }
}
