// SPDX-License-Identifier: Apache-2.0
// AWS Signature Version 4 against AWS's published test suite (aws-sig-v4-test-suite: the
// example credentials, 2015-08-30T12:36:00Z, us-east-1, service "service"). Every expected value
// is a literal from the suite, not computed by the code under test.
#include <daytona/net/sigv4.hpp>

#include <gtest/gtest.h>

namespace sig = daytona::net::sigv4;

namespace {

const sig::credentials example{.access_key = "AKIDEXAMPLE",
                               .secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
const sig::scope example_scope{.date = "20150830", .region = "us-east-1", .service = "service"};
constexpr std::string_view example_date = "20150830T123600Z";

sig::request vanilla(std::string_view method, std::string_view path, std::string_view query) {
    return sig::request{
        .method = method,
        .path = path,
        .query = query,
        .headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
        .payload_hash = sig::empty_payload_hash};
}

}  // namespace

TEST(SigV4, GetVanilla) {
    const auto r = vanilla("GET", "/", "");
    EXPECT_EQ(sig::canonical_request(r),
              "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
              "host;x-amz-date\n"
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sig::string_to_sign(example_date, example_scope, sig::canonical_request(r)),
              "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
              "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    EXPECT_EQ(sig::authorization(example, example_scope, example_date, r),
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
              "SignedHeaders=host;x-amz-date, "
              "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, GetVanillaQueryOrderKeyCase) {
    // The query is sorted before signing.
    EXPECT_EQ(sig::signature(example.secret, example_scope, example_date,
                             vanilla("GET", "/", "Param2=value2&Param1=value1")),
              "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    EXPECT_EQ(sig::canonical_query("Param2=value2&Param1=value1"), "Param1=value1&Param2=value2");
}

TEST(SigV4, PostVanilla) {
    EXPECT_EQ(sig::signature(example.secret, example_scope, example_date, vanilla("POST", "/", "")),
              "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4, GetUtf8) {
    // The path goes in as sent (percent-encoded), not encoded again.
    EXPECT_EQ(sig::signature(example.secret, example_scope, example_date,
                             vanilla("GET", "/%E1%88%B4", "")),
              "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4, AnyChangeChangesTheSignature) {
    const auto good =
        sig::signature(example.secret, example_scope, example_date, vanilla("GET", "/", ""));
    EXPECT_NE(sig::signature("other-secret", example_scope, example_date, vanilla("GET", "/", "")),
              good);
    EXPECT_NE(sig::signature(example.secret, example_scope, example_date, vanilla("GET", "/x", "")),
              good);
    auto extra = vanilla("GET", "/", "");
    extra.headers.emplace_back("x-amz-security-token", "token");
    EXPECT_NE(sig::signature(example.secret, example_scope, example_date, extra), good);
}

TEST(SigV4, AuthorizationHeadersParseBack) {
    auto parsed = sig::parse_authorization(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->access_key, "AKIDEXAMPLE");
    EXPECT_EQ(parsed->where.to_string(), "20150830/us-east-1/service/aws4_request");
    EXPECT_EQ(parsed->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
    EXPECT_EQ(parsed->signature,
              "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    EXPECT_FALSE(sig::parse_authorization("Bearer x"));
    EXPECT_FALSE(
        sig::parse_authorization("AWS4-HMAC-SHA256 Credential=AK/1/2/3/x, "
                                 "SignedHeaders=host, Signature=ab"));
    EXPECT_FALSE(sig::parse_authorization("AWS4-HMAC-SHA256 Credential=AK/1/2/3/aws4_request"));
}

TEST(SigV4, RegionComesFromTheEndpointAsTheOfficialSdkReadsIt) {
    EXPECT_EQ(sig::region_of_endpoint("https://s3.eu-west-1.amazonaws.com"), "eu-west-1");
    EXPECT_EQ(sig::region_of_endpoint("https://s3-us-west-2.amazonaws.com"), "us-west-2");
    EXPECT_EQ(sig::region_of_endpoint("https://s3.amazonaws.com"), "us-east-1");
    EXPECT_EQ(sig::region_of_endpoint("http://127.0.0.1:9000/api/object-storage"), "us-east-1");
}
