// Words for the generated corpus of bench/scale.ts, roughly most frequent
// first: French (stop words included: they are text, the index drops them),
// then English, mixed into one ranking by scale-corpus.ts. Pseudo-words made
// there extend the ranking into a long tail (names, jargon, typos).

export const FRENCH = `
de la le et les des en un une du que est pour qui dans à par plus pas sur au ne se il ce on avec sont nous vous ont être aux son
mais cette ou comme fait tout été sa elle leur ses bien aussi très deux peut dont y entre sans fait ils même sous après avant
nos votre notre faire dire tous encore autres autre alors donc ainsi si chez moins leurs quand où depuis lors fois jour années
merci bonjour cordialement bonne journée semaine demain hier aujourd'hui prochaine prochain dernier dernière matin soir heure
heures minutes lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août septembre
octobre novembre décembre point ordre sujet projet question questions réponse retour suite message messages mail envoyé envoyer
reçu recevoir pièce jointe document documents fichier fichiers lien version note notes liste tableau annexe copie information
informations besoin rapidement urgent possible nécessaire important importante confirmer confirmation valider validation
proposition propositions idée idées avis accord besoin problème problèmes solution solutions travail travaux dossier dossiers
temps année mois fin début partie place moment monde pays france paris lyon marseille lille bordeaux toulouse nantes
strasbourg rennes nice grenoble montpellier région régions ville villes national nationale local locale territoire territoires
président candidat candidate élection élections électoral électorale vote votes voter électeurs programme mouvement parti
politique politiques gouvernement ministre ministère député députés sénateur maire mairie conseil conseiller conseillère
directeur directrice responsable responsables coordinateur coordinatrice référent référents militants adhérents soutien
soutiens sympathisants membres membre groupe groupes comités animateur animatrice collectif bureau siège local permanence
communication médias journaliste journalistes interview article articles tribune communiqué conférence annonce annonces
réseaux sociaux twitter facebook vidéo vidéos photo photos affiche affiches tract tracts flyers impression imprimeur
événement événements meeting meetings rassemblement salle salles lieu lieux accueil inscription inscriptions participants
invités invitation invitations programme agenda planning calendrier date dates horaire horaires logistique transport train
billet billets hôtel hôtels réservation réservations voiture trajet retour aller frais dépense dépenses coût coûts prix
montant montants total euros paiement paiements payer régler règlement remboursement rembourser devis commande commandes
fournisseur fournisseurs prestataire prestataires contrat contrats convention signature signer juridique avocat légal
légale compte comptes comptable comptabilité expert bilan budget budgétaire recettes financement financements collecte
donateurs donateur don plafond chèque chèques espèces reçus fiscal fiscale déclaration déclarations commission contrôle
audit vérification transparence association mandataire mandat trésorier trésorière secrétaire secrétariat administratif
administration gestion organisation organiser préparer préparation réunir rencontre rencontres rendez-vous entretien appel
appels téléphone numéro portable adresse adresses contact contacts coordonnées fichier base données campagne terrain porte
porte-à-porte boîtage phoning mobilisation objectif objectifs stratégie résultats sondage sondages enquête étude chiffres
analyse synthèse note argumentaire éléments langage discours thèmes thème économie emploi chômage entreprises entreprise
entrepreneurs travail salariés social sociale santé hôpital école éducation écoles enseignants université jeunes jeunesse
culture sport environnement écologie énergie climat transition agriculture agriculteurs industrie numérique innovation
recherche europe européen européenne international sécuritaire police justice défense armée immigration intégration
logement retraite retraites pension impôts fiscalité réforme réformes loi lois proposition texte amendement débat débats
opposition majorité gauche droite centre républicains socialistes écologistes citoyens citoyen citoyenne société public
publique service services état collectivités département commune communes quartier quartiers habitants population famille
familles enfants femmes hommes personnes personne gens ami amis cher chère chers madame monsieur mesdames messieurs équipes
collègues bénévole volontaires jean pierre marie françois nicolas philippe christophe emmanuel laurent benjamin julien
sophie nathalie isabelle catherine anne claire julie camille thomas alexandre sylvain olivier stéphane ludovic cédric
grand grande petit petite nouveau nouvelle nouveaux nouvelles bon bonne meilleur meilleure premier première second seconde
prêt prête complet complète clair claire simple rapide long longue court courte fort forte haut haute large général générale
chose choses façon manière cas exemple niveau nombre partie raison rôle sens situation vue type accès aide appui action
actions activité activités affaire affaires atelier ateliers avancée avancement bilan carte cartes centre chantier charge
choix cible cibles clé clés code contenu contenus demande demandes détail détails difficulté direction discussion échange
échanges effet efforts engagement engagements équilibre erreur erreurs essai étape étapes évolution fonction fonctionnement
formation formations forme gestionnaire guide histoire image impact intervention interventions lettre lettres ligne lignes
logo marché matériel mesure mesures méthode mise modèle moyens objet offre opération opérations option outil outils page pages
partenaire partenaires partage perspective phase plan plans plateforme position poste pouvoir pratique présentation pression
priorité priorités procédure processus production produit profil progrès projet propos public qualité rappel recherche
relation relations relance remarque rendu réseau retard risque risques rythme sélection semaine séance signal site sites
soirée sortie source stock structure support système tâche tâches témoignage tenue test textes tour tournée usage valeur
valeurs visite visites visuel voix volume zone zones accepter ajouter aller apporter arriver attendre avancer changer
chercher commencer compléter comprendre connaître continuer corriger couvrir créer croire décider demander devoir diffuser
discuter donner écrire envoyer essayer étudier éviter expliquer finir garder imaginer indiquer informer lancer lire manquer
mettre modifier montrer noter obtenir organiser oublier ouvrir parler partager partir passer penser permettre porter poser
pouvoir prendre présenter prévoir produire proposer publier rappeler recevoir regarder rejoindre relire remettre remplir
rendre répondre reprendre rester retenir revenir savoir sembler sentir signaler sortir souhaiter suivre tenir terminer
tourner transmettre trouver utiliser venir voir vouloir souhaité souhaite prévu prévue envoyée transmis transmise relu
validé validée reçue signé signée réglé réglée annulé annulée reporté reportée confirmé confirmée organisé organisée
préparé préparée attendu attendue proposé proposée demandé demandée ajouté ajoutée modifié modifiée publié publiée
ensemble toujours jamais souvent parfois déjà bientôt vite ensuite enfin justement notamment surtout vraiment environ
peut-être plutôt tellement beaucoup peu trop assez tant chaque plusieurs certains certaines quelques aucun aucune toute
toutes tous autour auprès contre vers selon malgré grâce pendant durant via lorsque puisque tandis quoique afin cependant
pourtant néanmoins toutefois d'ailleurs d'abord d'accord c'est n'est qu'il qu'on s'il j'ai l'équipe l'événement l'ordre
`;

export const ENGLISH = `
the of and to in is for that on with this be are as it at by from have you we will not or your our an was can all please
thanks thank hi hello regards best dear team meeting call today tomorrow next week this morning afternoon evening time
update updates attached attachment file files document draft final version review comments feedback question questions
answer send sent receive received confirm confirmed schedule scheduled agenda minutes notes list plan plans planning
budget cost costs price payment payments invoice invoices contract contracts vendor vendors supplier order orders
account accounts bank transfer wire fee fees expense expenses refund total amount funds fundraising donor donation
donations campaign campaigns event events venue room hall hotel booking travel flight train trip ticket tickets
press media journalist interview statement release story article coverage social twitter video photo design print
poster posters banner volunteers volunteer staff office headquarters manager director coordinator lead head chief
president candidate election elections vote voters poll polls survey data database list contacts phone email address
website site page link access login password security server backup system systems issue issues problem fix support
help need needs ask asked request requests approve approved approval sign signed legal lawyer compliance audit report
reports analysis numbers figures results target targets strategy message messaging speech talking points brief briefing
slides deck presentation workshop training session sessions launch launched deadline urgent asap soon later quickly
good great new old big small first last other same different important available possible free open closed ready
make made take get got give go going come know think want see look work working use used find keep let put run
europe france paris london brussels berlin international national local regional city cities region country
share shared sharing discuss discussion agree agreed decision decide decided check checked confirm update updated
partner partners client clients project projects program programme team teams group groups member members people
thing things way part point case example level number side end start change changes process step steps support
`;
