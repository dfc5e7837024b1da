# Homebrew formula for sceplint, for a tap (a repository named sceplint/homebrew-tap):
#
#   brew install sceplint/tap/sceplint
#
# It installs the release archives: one universal binary for macOS (Intel and Apple silicon) and
# static binaries for Linux. The version and the sha256 lines marked "release:" are written by
# packaging/homebrew/update.sh from a release's SHA256SUMS; the release workflow runs it and
# attaches the filled-in formula to the GitHub release, ready to copy into the tap. The all-zero
# checksums below are placeholders: a formula that still has them fails to install.
class Sceplint < Formula
  desc "Linter for SCEP configuration profiles against Okta's CA requirements"
  homepage "https://github.com/sceplint/sceplint"
  version "0.1.0"
  license any_of: ["MIT", "Apache-2.0"]

  on_macos do
    url "https://github.com/sceplint/sceplint/releases/download/v#{version}/sceplint-#{version}-universal-apple-darwin.tar.gz"
    sha256 "0000000000000000000000000000000000000000000000000000000000000000" # release: universal-apple-darwin
  end

  on_linux do
    on_intel do
      url "https://github.com/sceplint/sceplint/releases/download/v#{version}/sceplint-#{version}-x86_64-unknown-linux-musl.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000000" # release: x86_64-unknown-linux-musl
    end
    on_arm do
      url "https://github.com/sceplint/sceplint/releases/download/v#{version}/sceplint-#{version}-aarch64-unknown-linux-musl.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000000" # release: aarch64-unknown-linux-musl
    end
  end

  def install
    bin.install "sceplint"
    doc.install "README.md", "CHANGELOG.md"
  end

  test do
    assert_match "sceplint #{version}", shell_output("#{bin}/sceplint --version")
    assert_match "SCEP003", shell_output("#{bin}/sceplint rule key-size")
  end
end
