# Every member of the golden image, owned by Terraform: a project, an
# account and an organization unit. A member added in the console shows in
# the next plan and is removed by the next apply.
resource "ims_image_share" "golden" {
  image_id          = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
  project_ids       = ["2c4e6a8b0d1f43a5b7c9e1f3a5c7e9b1"]
  domain_ids        = ["5d3c1e0f9b7a48c6a2e4f6081a3c5e7d"]
  organization_urns = ["organizations::0970dd7a1300f5672ff2c003c60ae115:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"]

  timeouts {
    create = "15m" # each change waits for the cloud's job
  }
}

# Who has accepted so far.
output "accepted" {
  value = [for m in ims_image_share.golden.members : m.member_id if m.status == "accepted"]
}
