#!/usr/bin/ruby
# Peer driver: ruby-saml (Debian's ruby-saml) as the SP library.
#
# Reads every case from one JSON file (path argument, or stdin when none or "-"), validates each
# SAMLResponse in this one process with OneLogin::RubySaml::Response.new(b64, settings: ...,
# matches_request_id: ...).is_valid?, and prints one JSON line per case: id, library, version,
# accepted, message (the response's errors, verbatim). See test/peers/cases.ts for the case format.
#
# Run it with Debian's interpreter, the one that loads Debian's gems:
#   /usr/bin/ruby test/peers/ruby-saml.rb cases.json
# Exits 3 when the library cannot be loaded.
require 'json'
require 'time'

LIBRARY = 'ruby-saml'
DEBIAN_PACKAGE = 'ruby-saml'
MISSING_LIBRARY = 3
# Response options (besides :settings and :matches_request_id) a case may set; see RubySamlOptions.
RESPONSE_OPTIONS = %w[
  allowed_clock_drift skip_conditions skip_audience skip_destination skip_recipient_check skip_subject_confirmation
].freeze

begin
  require 'onelogin/ruby-saml'
rescue LoadError => e
  warn "#{LIBRARY} cannot be loaded by #{RbConfig.ruby} (#{e.message}): install the Debian package " \
       "#{DEBIAN_PACKAGE} (apt-get install --no-install-recommends #{DEBIAN_PACKAGE})"
  exit MISSING_LIBRARY
end

# ruby-saml reads the time through Time.now; a case with "now" moves only that clock to the case's
# instant while it is judged.
module CaseClock
  class << self
    attr_accessor :now
  end

  def now
    CaseClock.now || super
  end
end
Time.singleton_class.prepend(CaseClock)

def package_version
  version = IO.popen(['dpkg-query', '-W', '-f=${Version}', DEBIAN_PACKAGE], err: File::NULL, &:read).to_s.strip
  $?.success? && !version.empty? ? version : "unknown (gem #{OneLogin::RubySaml::VERSION}, not from a Debian package)"
rescue SystemCallError
  "unknown (gem #{OneLogin::RubySaml::VERSION}, not from a Debian package)"
end

def settings_for(kase, options)
  security = (options['security'] || {}).transform_keys(&:to_sym)
  # true: merge the case's security settings into ruby-saml's defaults instead of replacing them.
  OneLogin::RubySaml::Settings.new(
    {
      idp_entity_id: kase['idpEntityId'],
      idp_cert: kase['idpCertificatePem'],
      sp_entity_id: kase['spEntityId'],
      assertion_consumer_service_url: kase['acsUrl'],
      private_key: kase['spPrivateKeyPem'],
      security: security
    },
    true
  )
end

def validate(kase)
  CaseClock.now = kase['now'] && Time.iso8601(kase['now'])
  options = (kase['options'] || {})[LIBRARY] || {}
  response_options = { settings: settings_for(kase, options) }
  response_options[:matches_request_id] = kase['requestId'] if kase['requestId']
  RESPONSE_OPTIONS.each { |name| response_options[name.to_sym] = options[name] if options.key?(name) }
  response = OneLogin::RubySaml::Response.new(kase['responseBase64'], response_options)
  accepted = response.is_valid? ? true : false
  [accepted, accepted ? '' : response.errors.join("\n")]
rescue StandardError => e # what the SP's own code would see raised
  [false, e.message]
end

source = ARGV[0] || '-'
text = source == '-' ? $stdin.read : File.read(source, encoding: 'utf-8')
version = package_version
JSON.parse(text).each do |kase|
  accepted, message = validate(kase)
  puts JSON.generate({ id: kase['id'], library: LIBRARY, version: version, accepted: accepted, message: message })
end
$stdout.flush
