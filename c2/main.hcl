locals {
  a‍b = 1
}
