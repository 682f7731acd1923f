# Offline tests of the postcondition policy with a mocked provider: an
# allowed sharing reads fine, a violating one fails the data source read.
# Run with `terraform test` in examples/policy/postcondition.
# mock_provider and override_data need Terraform 1.7 or OpenTofu 1.8 or later
# (CI runs Terraform 1.11.4 and 1.15.0, and OpenTofu 1.12.6).

mock_provider "ims" {}

variables {
  image_id                  = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
  allowed_domain_ids        = ["3a2d95404f964a6aba78819bf8ddc1e3"]
  allowed_organization_urns = []
}

run "shared_inside_allow_list" {
  command = plan

  override_data {
    target = data.ims_image_members.image
    values = {
      members = [
        {
          member_id   = "1bed856811654c1cb661a6ca845ebc77"
          member_type = "project"
          status      = "accepted"
          urn         = null
          image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          schema      = "/v2/schemas/member"
          created_at  = "2024-03-01T08:00:00Z"
          updated_at  = "2024-03-01T08:05:00Z"
        },
        {
          member_id   = "3a2d95404f964a6aba78819bf8ddc1e3"
          member_type = "domain"
          status      = "accepted"
          urn         = null
          image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          schema      = "/v2/schemas/member"
          created_at  = "2024-03-02T08:00:00Z"
          updated_at  = "2024-03-02T08:00:00Z"
        },
      ]
    }
  }

  assert {
    condition     = length(output.members) == 2
    error_message = "An allowed sharing must read through the postcondition."
  }
}

run "shared_with_an_organization_outside_allow_list" {
  command = plan

  override_data {
    target = data.ims_image_members.image
    values = {
      members = [
        {
          member_id   = "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
          member_type = "organization"
          status      = "pending"
          urn         = "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
          image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          schema      = "/v2/schemas/member"
          created_at  = "2023-08-23T04:07:52Z"
          updated_at  = "2023-08-23T04:07:52Z"
        },
      ]
    }
  }

  # The read fails its postcondition: that is what this case is about.
  expect_failures = [
    data.ims_image_members.image,
  ]
}
