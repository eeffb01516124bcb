/** Three b-instances referring to three a-instances; a[failing] fails to create (-1: none does). */
export function countToCount(failing: number): string {
  return `
resource "test_resource" "a" {
  count   = 3
  name    = "a\${count.index}"
  fail_on = count.index == ${failing} ? "create" : null
}
resource "test_resource" "b" {
  count = 3
  name  = "b\${count.index}"
  value = test_resource.a[count.index].id
}`;
}
