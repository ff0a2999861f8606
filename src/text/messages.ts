/** Every text of the pages and the e-mail, one object per language: a missing translation is a type error. */

/** The languages of the pages, the e-mail and the app. */
export type Lang = 'de' | 'en';

export interface Messages {
  /** The sign-in portal (the seed's login page) and the services page after it. */
  portal: {
    title: string;
    welcome: string;
    pleaseSignIn: string;
    username: string;
    tokenCode: string;
    password: string;
    signIn: string;
    failed: string;
    /** To someone who gave the right password and a code from a clock that is off (issue 13). */
    clockDrift: string;
    /**
     * To someone who gave the right password and code for a locked token: until when
     * (null: until an administrator unlocks it), and whom to ask.
     */
    tokenLocked: (until: { at: string; seconds: number } | null, who: string) => string;
    tryLater: (seconds: number) => string;
    expired: string;
    signedOut: string;
    setUpToken: string;
    servicesTitle: string;
    signedInAs: (name: string) => string;
    noServices: string;
    /** For operators (a console role): the way to the admin console. */
    toConsole: string;
    signOut: string;
    otherLanguage: string;
    badRequest: string;
    unavailable: string;
    /** The database does not answer (restart, failover): nothing the user can do but wait. */
    serviceUnavailable: string;
  };
  /** Shared by several pages. */
  common: {
    itDepartment: string;
    askFor: (who: string) => string;
    copy: string;
    copied: string;
    enrollmentStringLabel: string;
  };
  enrollment: {
    title: string;
    greeting: (name: string) => string;
    intro: (organisation: string) => string;
    expires: (when: string) => string;
    installHeading: string;
    installText: string;
    installLink: string;
    androidHelp: string;
    importHeading: string;
    importButton: string;
    importText: string;
    copyHeading: string;
    copyText: string;
    iphoneIntro: string;
    iphoneWhy: string;
    iphoneInstallHeading: string;
    iphoneInstallText: string;
    iphoneInstallLink: string;
    iphoneHelp: string;
    iphoneCopyHeading: string;
    iphoneCopyText: string;
    iphonePasteHeading: string;
    iphonePasteText: string;
    iphoneImportHeading: string;
    iphoneImportText: string;
    computerHeading: string;
    computerText: string;
    computerString: string;
    qrLabel: string;
    standardHeading: string;
    standardText: string;
    standardButton: string;
  };
  invalid: {
    title: string;
    text: string;
    action: (who: string) => string;
    newerMail: string;
  };
  /** An enrollment link that no longer shows the steps: expired (and its new link), used, replaced. */
  link: {
    expiredTitle: string;
    expiredText: (when: string) => string;
    renewText: string;
    renewButton: string;
    askForNew: (who: string) => string;
    sentTitle: string;
    sentText: (maskedAddress: string) => string;
    sentOldLink: string;
    sentNoMail: (who: string) => string;
    limitTitle: string;
    limitText: (seconds: number) => string;
    limitAsk: (who: string) => string;
    /** A completed enrollment's link: the user is set up, the way on is to sign in. */
    usedTitle: string;
    usedText: string;
    signIn: string;
    /** Its activations spent without completing: perhaps set up, perhaps not. */
    spentTitle: string;
    spentText: string;
    spentAsk: (who: string) => string;
    replacedTitle: string;
    replacedText: string;
    /** A form that could not be read (too large, not a form). */
    unreadableTitle: string;
    unreadableText: string;
  };
  /** Too many enrollment pages or activations from one address in a minute. */
  tooManyRequests: {
    title: string;
    text: (seconds: number) => string;
    again: string;
  };
  standardApp: {
    title: string;
    intro: string;
    scanHeading: string;
    scanText: string;
    qrLabel: string;
    openHere: string;
    manualHeading: string;
    manualText: string;
    secretLabel: string;
    settingsLabel: string;
    settingType: string;
    settingTypeValue: string;
    settingAlgorithm: string;
    settingDigits: string;
    settingPeriod: string;
    settingPeriodValue: string;
    confirmHeading: string;
    confirmText: string;
    otpLabel: string;
    otpHint: string;
    activate: string;
    wrongCode: string;
  };
  done: {
    title: string;
    text: string;
    signIn: string;
  };
  mail: {
    subject: (organisation: string) => string;
    greeting: (name: string) => string;
    intro: (organisation: string) => string;
    stepsHeading: string;
    stepOpen: string;
    stepFollow: string;
    stepApp: string;
    button: string;
    linkFallback: string;
    expires: (when: string) => string;
    personal: string;
    neverAsk: (organisation: string) => string;
    questions: (who: string) => string;
  };
}
